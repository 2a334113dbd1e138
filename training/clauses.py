"""Hand-written situation clauses per category: what people say happened, in many everyday words (synonyms,
regional and colloquial forms), without the official noun. Used like fragments (build_corpus.py wraps them with
places, openers, closers and registers); all are problem reports or asks, labelled by the kind rules:
"sikayet" clauses report something wrong, "talep" clauses ask for a service or a new thing."""

C = {
    "cop_toplama": {
        "sikayet": ["[artıklar|süprüntüler|atıklar] [kapıda bekliyor|birikti|yığıldı]", "[çöpçü|temizlikçi] [uğramadı|gelmedi|atladı]",
                    "[torbalar|poşetler] [yırtıldı|patladı|etrafa saçıldı]", "[kokudan|leş kokusundan] [geçilmiyor|duramıyoruz]",
                    "[alan yok|toplayan yok|kaldıran yok] [bu pisliği|bu atıkları]"]},
    "konteyner": {
        "sikayet": ["[bidon|kasa|kova|kutu] [kırıldı|delindi|kapaksız kaldı|yandı|eridi]", "[bidonun|kasanın] [tekeri|kapağı] [kopuk|yok]",
                    "[bidonlar|kutular] [yetmiyor|taşıyor|hep dolu]"],
        "talep": ["[ek|ilave|büyük|yeni] [bidon|kasa|kova|kutu] [istiyoruz|konulsun|getirin]"]},
    "sokak_temizligi": {
        "sikayet": ["[sokak|cadde|çarşı|meydan] [pis|kirli|berbat|bakımsız] [kalıyor|duruyor]", "[süpürülmüyor|yıkanmıyor|temizlenmiyor] [hiç|aylardır]",
                    "[kabuklar|izmaritler|naylonlar|kağıtlar] [uçuşuyor|her yerde|yerlerde]"]},
    "moloz_atik": {
        "sikayet": ["[toprak|taş|tuğla|beton parçası|fayans kırığı] [dökülmüş|yığılmış|boşaltılmış]", "[eski koltuk|kırık dolap|yatak|hurda] [atılmış|bırakılmış]"],
        "talep": ["[eşyaları|mobilyaları|hurdaları|dalları] [alın|toplayın|götürün]"]},
    "ilaclama": {
        "sikayet": ["[vızıltıdan|ısırıktan|sinekten] [duramıyoruz|uyuyamıyoruz]", "[böcek|sinek|kemirgen|fare] [kaynıyor|istila etti|üredi]"],
        "talep": ["[ilaç|ilaçlama|dezenfeksiyon] [sıkın|yapın|atılsın]"]},
    "yol_bakim": {
        "sikayet": ["[yol|asfalt|zemin] [çöktü|yarıldı|kabardı|delik deşik|tarla gibi]", "[tekerlek|lastik|jant] [patladı|gömüldü|çarptı]",
                    "[kazı|kanal|hendek] [açık kaldı|kapatılmadı|toprakla geçiştirildi]", "[çamurdan|tozdan] [geçilmiyor|araba gitmiyor]"],
        "talep": ["[yola|sokağa] [asfalt|zift|kaplama|parke] [dökülsün|atılsın|yapılsın]"]},
    "kaldirim": {
        "sikayet": ["[taşlar|karolar|kilit taşları] [oynuyor|yerinden çıktı|çöktü]", "[yaya|yürüyen] [düşüyor|takılıyor|yola iniyor]",
                    "[rampa|iniş] [yok|çok dik]"]},
    "kar_buz": {
        "sikayet": ["[buz|kar|don] [tuttu|kapattı|birikti]", "[kayıp düştük|araba kaydı|yokuş çıkılmıyor]", "[küreme|tuzlama|kumlama] [yapılmadı|gelmedi]"],
        "talep": ["[tuz|kum|küreme] [gönderin|dökün|yapın]"]},
    "trafik_duzenleme": {
        "sikayet": ["[araçlar|arabalar|motorlar] [hızlı geçiyor|uçuyor|yarışıyor]", "[çizgiler|işaretler|levha|tabela] [silindi|yok|kırıldı]"],
        "talep": ["[tümsek|kasis|geçit|levha|ayna] [yapın|konsun|konulsun]"]},
    "park_bakim": {
        "sikayet": ["[çimen|çim|otlar|çiçekler] [kurudu|sarardı|uzadı|bakımsız]", "[bank|oturak|çardak|fıskiye] [kırık|bozuk|sökülmüş]",
                    "[bahçe|yeşillik] [bakımsız|kurumuş|terk edilmiş]"]},
    "oyun_grubu": {
        "sikayet": ["[salıncak|kaydırak|tahterevalli|tırmanma] [kırık|kopuk|çatlak|sallanıyor]", "[çocuk|yavrum|kızım|oğlum] [düştü|yaralandı|elini kesti]"]},
    "agac_bakim": {
        "sikayet": ["[dal|gövde|kök] [kırıldı|düştü|kaldırımı kaldırdı|eğildi]", "[ağaç|çınar|kavak] [devrildi|kurudu|yıkılacak]"],
        "talep": ["[dalları|ağacı|kökleri] [budayın|kesin|alın]", "[fidan|ağaç] [dikin|dikilsin]"]},
    "yeni_park": {
        "talep": ["[oyun alanı|yeşil alan|bahçe|saha] [yapın|istiyoruz|kazandırın]", "[çocuklar|gençler] [oynayacak yer|spor yapacak yer] [istiyor|arıyor]"]},
    "gurultu": {
        "sikayet": ["[ses|gürültü|patırtı|bağırış|müzik] [gece|sabaha kadar|durmadan] [devam ediyor|bitmiyor]", "[uyuyamıyoruz|dinlenemiyoruz|bebek uyanıyor]",
                    "[davul|zurna|hoparlör|egzoz|fişek] [patlıyor|çalıyor|bağırıyor]"]},
    "seyyar_satici": {
        "sikayet": ["[tablacı|tezgahçı|satıcı|işportacı] [yolu|kaldırımı|girişi] [kapattı|tuttu]", "[anons|bağırarak satış] [sabahtan beri|her gün]"]},
    "isgal": {
        "sikayet": ["[masa|sandalye|kasa|mal|malzeme] [kaldırıma|yaya yoluna|yola] [taşmış|dizilmiş|konmuş]", "[yaya|yürüyen] [geçemiyor|yola iniyor]"]},
    "isyeri_denetimi": {
        "sikayet": ["[fiyat|etiket|tartı|fiş] [yok|yanlış|hileli|farklı]", "[yemek|et|ekmek|ürün] [bozuk|bayat|kokmuş|tarihi geçmiş]",
                    "[mutfak|tezgah|dükkan] [pis|kirli|hijyensiz]"]},
    "dilenci": {
        "sikayet": ["[çocuklar|kadınlar|adamlar] [para istiyor|dileniyor|cam siliyor]", "[rahatsız ediyorlar|arabaya yapışıyorlar|peşimizden geliyorlar]"]},
    "sokak_hayvani": {
        "sikayet": ["[köpekler|itler|sürü] [saldırıyor|kovalıyor|havlıyor|ısırdı]", "[kedi|köpek|hayvan] [yaralı|aç|hasta|topallıyor]"],
        "talep": ["[kısırlaştırma|aşı|mama|barınak] [istiyoruz|yapılsın|verilsin]"]},
    "hayvan_olusu": {
        "sikayet": ["[ölü|ölmüş|telef olmuş|kokuşmuş] [hayvan|köpek|kedi|kuş] [yatıyor|var|duruyor]"]},
    "kacak_yapi": {
        "sikayet": ["[kat|oda|ev|baraka|depo] [izinsiz|kaçak|ruhsatsız] [yapıyorlar|çıkıyorlar|dikiliyor]"]},
    "imar_bilgi": {
        "bilgi": ["[arsa|tarla|parsel|ev] [kaç kat|ne kadar|nasıl] [yapılaşır|inşaat yapılır]", "[ruhsat|iskan|proje|tapu] [için|hakkında] [ne lazım|ne gerekir]"]},
    "metruk_bina": {
        "sikayet": ["[boş|terk edilmiş|sahipsiz|yıkık] [ev|bina|yapı] [tehlikeli|çöküyor|içine giriliyor]"]},
    "sosyal_yardim": {
        "talep": ["[yiyecek|erzak|kömür|odun|kira|para] [yardımı|desteği] [istiyorum|lazım|rica ediyorum]", "[muhtacız|zor durumdayız|geçinemiyoruz]"]},
    "engelli_yasli_destek": {
        "talep": ["[yaşlı|engelli|yatalak|felçli] [annem|babam|komşum] için [bakım|destek|sandalye|bez] [istiyoruz|lazım]"]},
    "kultur_etkinlik": {
        "bilgi": ["[konser|tiyatro|gösteri|şenlik|sergi] [ne zaman|nerede|saat kaçta]"]},
    "kurs_kutuphane": {
        "bilgi": ["[kurs|atölye|ders|kütüphane] [kaydı|saatleri] [ne zaman|nasıl]"]},
    "nikah": {
        "bilgi": ["[nikah|evlilik|evlenme] [için|işlemleri] [ne lazım|ne zaman|ne kadar]"]},
    "vergi_harc": {
        "sikayet": ["[borç|vergi|ödeme|tahakkuk] [yanlış|fazla|iki kez] [çıkmış|alınmış|yansımış]"],
        "bilgi": ["[borç|vergi|taksit|ödeme] [ne kadar|ne zaman|nereden]"]},
    "isyeri_ruhsati": {
        "bilgi": ["[dükkan|işyeri|büfe|kafe] [açmak için|için] [izin|ruhsat|belge] [ne lazım|nereden alınır]"]},
    "baskan_gorusme": {
        "talep": ["[başkan|başkanımız|başkan bey] ile [görüşmek|konuşmak|buluşmak] istiyorum"]},
    "genel_basvuru": {
        "sikayet": ["[telefon|santral|masa|görevli] [açmıyor|ilgisiz|kaba davrandı]"],
        "bilgi": ["[başvurum|dilekçem|müracaatım] [ne oldu|ne durumda|sonuçlandı mı]"]},
    "e_belediye": {
        "sikayet": ["[site|uygulama|sayfa|program] [açılmıyor|çöktü|hata veriyor|donuyor]", "[şifre|kod] [gelmiyor|çalışmıyor]"]},
    "kablosuz_internet": {
        "sikayet": ["[internet|ağ|wifi] [bağlanmıyor|çekmiyor|kopuyor|yavaş]"]},
    "su_sebekesi": {
        "sikayet": ["[su|musluk|çeşme] [akmıyor|kesildi|gelmiyor|bulanık]", "[boru|vana|sayaç] [patladı|sızdırıyor|dondu]"]},
    "kanalizasyon": {
        "sikayet": ["[lağım|gider|atık su|pis su] [taştı|geri tepti|tıkandı]", "[bodrum|alt kat|sokak] [su bastı|göl oldu]"]},
    "sokak_aydinlatma": {
        "sikayet": ["[lamba|ışık|ampul|direk] [yanmıyor|söndü|kırık]", "[karanlık|zifiri karanlık] [sokak|yol]"]},
    "elektrik_kesintisi": {
        "sikayet": ["[elektrik|cereyan|akım] [kesik|yok|gidip geliyor]", "[tel|kablo|trafo|pano] [sarkıyor|kıvılcım atıyor|patladı]"]},
    "dogalgaz": {
        "sikayet": ["[gaz|doğalgaz] [kokuyor|kaçırıyor|gelmiyor|kesik]", "[kombi|ocak|petek] [çalışmıyor|yanmıyor]"]},
    "toplu_tasima": {
        "sikayet": ["[otobüs|minibüs|dolmuş|araç] [gelmedi|geç geldi|durmadı|dolu geçti]", "[şoför|sürücü] [kaba|almadı|hızlı kullanıyor]"]},
    "trafik_sinyalizasyon": {
        "sikayet": ["[ışık|lamba|sinyal] [yanmıyor|arızalı|sarıda kaldı|kısa yanıyor]"]},
}
