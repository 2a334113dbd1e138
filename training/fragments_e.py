"""Hand-written message fragments, part E: the situation described without the subject's usual noun — how people
write when they do not know the official word ("poşetler kapıda duruyor" for rubbish collection, "direk var ışık
yok" for street lighting). Written from everyday usage, not from any test message."""

F = {
    "cop_toplama": {"sikayet": [
        "kapının önüne bıraktığımız [poşetler|torbalar] [üç gündür|haftadır] duruyor, [kediler dağıttı|kokudan pencere açamıyoruz]",
        "{yer} [mutfak artıkları|evin pislikleri] [alınmadı|toplanmadı], [sokak kokuyor|sinek bastı]",
        "[sabah|akşam] gelen [kamyon|araç] [bu hafta hiç gelmedi|bizi yine atladı], [torbalar yığıldı|rezalet]"],
        "bilgi": ["[poşetleri|torbaları] [akşam mı sabah mı|kaçta] dışarı çıkaralım, araç [hangi saatte|ne zaman] geçiyor"]},
    "konteyner": {"sikayet": [
        "{yer} [büyük yeşil kutunun|demir kutunun] [kapağı kopmuş|tekerleği kırılmış], [köpekler içine giriyor|her yer saçılıyor]"],
        "talep": ["[sokağın başına|binanın yanına] [atıkları atacağımız|poşetleri koyacağımız] bir [kap|kutu] [koyun|istiyoruz]"]},
    "sokak_temizligi": {"sikayet": [
        "{yer} [yerlerde|kaldırımlarda] [kuruyemiş kabukları|naylonlar|kağıtlar] [birikmiş|uçuşuyor], [süpüren yok|kimse temizlemiyor]"]},
    "moloz_atik": {"sikayet": [
        "{yer} [boş arsaya|dere kenarına] [kamyonla|gece] [toprak ve taş|kırık beton] [döktüler|boşalttılar]"],
        "talep": ["[evden çıkan|bodrumdan çıkan] [eski eşyaları|kırık koltuğu] [gelip alabilir misiniz|aldırmak istiyoruz]"]},
    "ilaclama": {"sikayet": [
        "{yer} akşam [balkona çıkamıyoruz|pencereyi açamıyoruz], [vızıltıdan|ısırıklardan] [uyuyamıyoruz|çocuklar yara oldu]"],
        "talep": ["[bahçede|evin çevresinde] [uçuşan|çoğalan] [böcekler|sinekler] için [bir ekip gönderir misiniz|ilaç sıkılmasını istiyoruz]"]},
    "yol_bakim": {"sikayet": [
        "{yer} [arabanın tekeri|lastik] [deliğe girdi|gömüldü], [yolun ortası yarılmış|yol çökmüş]",
        "[kazdılar|boru döşediler] [öylece bıraktılar|kapatmadılar], [araçlar zıplıyor|toz toprak içindeyiz]",
        "[yağmurdan sonra|her yağışta] [yol çamur deryası|toprak yol batak] oluyor, [araba çıkmıyor|yürüyemiyoruz]"]},
    "kaldirim": {"sikayet": [
        "{yer} [yürürken|annemle yürürken] [taşlar oynuyor|ayağımız takılıyor], [düşüp dizimi yaraladım|yaşlılar sürekli düşüyor]",
        "[bebek arabasıyla|tekerlekli sandalyeyle] [yukarı çıkamıyoruz|yoldan yürümek zorunda kalıyoruz], [kenarlar çok yüksek|rampa yok]"]},
    "kar_buz": {"sikayet": [
        "{yer} [yokuş|merdivenler] [cam gibi|ayna gibi] oldu, [kimse bir şey dökmedi|düşen düşene]",
        "[gece yağan|dünden beri yağan] [beyaz örtü|kar] [yolu kapattı|kapıdan çıkarmıyor], [iş makinesi gelmedi|araç geçemiyor]"]},
    "trafik_duzenleme": {"sikayet": [
        "{yer} [arabalar|araçlar] [uçarak|yüz kilometreyle] geçiyor, [çocuklar karşıya geçemiyor|geçen hafta kedimizi ezdiler]"],
        "talep": ["[okulun önüne|sokağın girişine] [arabaları yavaşlatacak|sürücüleri uyaracak] bir şey [yapılsın|yapılmasını istiyoruz]"]},
    "park_bakim": {"sikayet": [
        "{yer} [çocuklarla oturduğumuz|yürüyüş yaptığımız] bahçede [otlar bel boyu|her yer kurumuş], [bakım yapılmıyor|sulanmıyor]",
        "[oturduğumuz|parktaki] [tahta|demir] [oturakların|bankların] [yarısı sökülmüş|çivileri çıkmış]"]},
    "oyun_grubu": {"sikayet": [
        "{yer} [çocukların sallandığı|kızımın oynadığı] [zincir|ip] [koptu|kopmak üzere], [çocuk yere düştü|kolunu incitti]",
        "[çocukların kaydığı|kayma aleti] [çatlamış|kırılmış], [kenarı keskin|eli kesildi]"]},
    "agac_bakim": {"sikayet": [
        "{yer} [kapımızın önündeki|okul bahçesindeki] [koca gövde|yaşlı ağaç] [eğildi|yana yattı], [üstümüze düşecek|korkuyoruz]",
        "[dallar|yapraklar] [penceremize giriyor|çatıya değiyor], [sürtünmeden uyuyamıyoruz|oluk tıkandı]"]},
    "yeni_park": {"talep": [
        "{yer} çocukların [koşup oynayacağı|top oynayacağı] [bir yer yok|bir alan yok], [bir bahçe|yeşillik bir alan] [yapılsın|istiyoruz]"]},
    "gurultu": {"sikayet": [
        "{yer} [gece saat 3te|sabaha karşı] [bas sesinden|davul sesinden] [duvarlar titriyor|uyuyamıyoruz]",
        "[alt kattaki|yan binadaki] [dükkandan|atölyeden] [bütün gün|gece boyu] [makine sesi|çekiç sesi] geliyor"]},
    "seyyar_satici": {"sikayet": [
        "{yer} [arabasıyla|tablasıyla] [mısır|kestane|midye] satan [kişiler|adamlar] [kaldırımı tuttu|okul kapısını kapatıyor]"]},
    "isgal": {"sikayet": [
        "{yer} [dükkan sahibi|esnaf] [mallarını|kasalarını] [yürüme yoluna|yaya yoluna] [koymuş|dizmiş], [yola inmek zorunda kalıyoruz|geçemiyoruz]"]},
    "isyeri_denetimi": {"sikayet": [
        "{yer} [aldığım|yediğim] [tavuk|köfte] [bozuktu|kokuyordu], [dükkanın içi|tezgahlar] [çok kirli|mide bulandırıcı]",
        "[rafta yazan|etikette yazan] [para ile|fiyat ile] [kasada istenen|ödediğim] [tutmuyor|farklı], [fazla alıyorlar|kandırıyorlar]"]},
    "dilenci": {"sikayet": [
        "{yer} [kırmızıda bekleyen|trafikte duran] arabaların [camına vurup|kapısını açıp] para [istiyorlar|isteyen çocuklar var]"]},
    "sokak_hayvani": {"sikayet": [
        "{yer} [havlayarak|sürü halinde] [üstümüze geliyorlar|bisikletlileri kovalıyorlar], [çocuklar dışarı çıkamıyor|korkudan yürüyemiyoruz]"],
        "talep": ["[ayağı kırık|topallayan] bir [kedi|köpek] [buldum|kapımızda], [alıp tedavi eder misiniz|yardım lazım]"]},
    "hayvan_olusu": {"sikayet": [
        "{yer} [yolun kenarında|çöplerin yanında] [ölmüş|telef olmuş] bir [hayvan|kuzu] [yatıyor|var], [koku yayıldı|kimse kaldırmadı]"]},
    "kacak_yapi": {"sikayet": [
        "{yer} [yan komşu|karşı bina] [gece gece|hafta sonu] [üstüne bir kat daha|bahçeye ev] [çıkıyor|dikiyor], [izni var mı belli değil|kimse durdurmuyor]"]},
    "imar_bilgi": {"bilgi": [
        "[babamdan kalan|yeni aldığım] [arsaya|tarlaya] [kaç katlı|nasıl] [ev yapabilirim|bina yapılır]",
        "[evimizi büyütmek|üstüne kat çıkmak] istiyoruz, [hangi izinler lazım|nereden başlamalıyız]"]},
    "metruk_bina": {"sikayet": [
        "{yer} [yıllardır kimsenin oturmadığı|sahibi ölen] [ev|bina] [yıkılmak üzere|duvarları çatlamış], [gece içine insanlar giriyor|çocuklar içinde oynuyor]"]},
    "sosyal_yardim": {"talep": [
        "[eşim öldükten sonra|işten çıkarıldığımdan beri] [evde ekmek alacak param yok|çocuklarıma bakamıyorum], [elinizden geleni yapın|bir destek rica ediyorum]",
        "[soba yakacak|ısınacak] [bir şeyimiz kalmadı|kömürümüz bitti], [kış çok soğuk|çocuklar hasta]"]},
    "engelli_yasli_destek": {"talep": [
        "[yatağa bağlı|yürüyemeyen] [annemi|babamı] [hastaneye götürecek|yıkayacak] [kimse yok|birine ihtiyacımız var], [yardım edin|destek istiyoruz]",
        "[seksen yaşındaki|yalnız yaşayan] [komşumuzun|teyzemizin] [alışverişini yapacak|yemeğini getirecek] kimsesi yok"]},
    "kultur_etkinlik": {"bilgi": [
        "[bu akşam|hafta sonu] [çocukları götürebileceğimiz|ailece gidebileceğimiz] bir [gösteri|program] var mı"],
        "tesekkur": ["[dün akşamki|meydandaki] [program|gösteri] [müthişti|çok keyifliydi], [herkes çok eğlendi|tekrarı olsun]"]},
    "kurs_kutuphane": {"bilgi": [
        "[kızım|oğlum] [resim|gitar|satranç] öğrenmek istiyor, [ücretsiz|belediyenin] [bir yer|bir program] var mı",
        "[sınava hazırlanırken|ders çalışırken] [sessizce oturabileceğimiz|gece geç saate kadar açık] bir yer var mı"]},
    "nikah": {"bilgi": [
        "[evlenmeye karar verdik|düğün tarihimiz belli oldu], [resmi işlemler|evrak işleri] için [ne yapmalıyız|nereye gitmeliyiz]"]},
    "vergi_harc": {"sikayet": [
        "[evimin|dükkanımın] [yıllık|bu yılki] [borcu|ödemesi] [iki katına çıkmış|yanlış hesaplanmış], [itiraz ediyorum|bu nasıl iş]"],
        "bilgi": ["[evim için|arsam için] belediyeye [ne kadar|hangi tarihe kadar] [ödeme yapmam gerekiyor|borcum var]"]},
    "isyeri_ruhsati": {"bilgi": [
        "[kendi işimi kurmak|küçük bir dükkan açmak] istiyorum, [belediyeden hangi kağıtları|hangi izinleri] almam gerekiyor"]},
    "baskan_gorusme": {"talep": [
        "[mahalle sakinleri olarak|köylüler olarak] [en yetkili kişiyle|sayın başkanla] [yüz yüze|bizzat] [konuşmak|görüşmek] istiyoruz"]},
    "genel_basvuru": {"sikayet": [
        "[masadaki görevli|telefondaki kişi] [yüzüme kapattı|beni azarladı], [bu nasıl hizmet|çok kırıldım]"],
        "tesekkur": ["[bu şehirde yaşamaktan|Talaslı olmaktan] [gurur duyuyorum|mutluyum], [emeği geçen herkese|tüm ekibe] teşekkürler"]},
    "e_belediye": {"sikayet": [
        "[telefondaki programınız|internetteki sayfanız] [açılmıyor|donuyor], [borcumu ödeyemedim|işlem yapamıyorum]"]},
    "kablosuz_internet": {"sikayet": [
        "{yer} [meydanda|parkta] [telefonla bağlanmaya çalışıyorum|ağ görünüyor] ama [internet gelmiyor|bağlanmıyor]"]},
    "su_sebekesi": {"sikayet": [
        "{yer} [banyoda|mutfakta] [musluğu açınca|çeşmeden] [hiçbir şey akmıyor|çamur gibi akıyor], [yemek yapamıyoruz|çamaşır yıkayamıyoruz]",
        "[kaldırımın altından|yolun ortasından] [fışkıran|sürekli akan] [sular|su] [göl oldu|buz tuttu]"]},
    "kanalizasyon": {"sikayet": [
        "{yer} [tuvaletten|giderden] [geri geliyor|taşıyor], [ev pislik içinde kaldı|koku dayanılmaz]",
        "[her yağmurda|sağanak olunca] [alt kat|bodrum] [suyla doluyor|su basıyor], [yol suyu çekmiyor|ızgaralar dolu]"]},
    "sokak_aydinlatma": {"sikayet": [
        "{yer} [akşam olunca|hava kararınca] [el feneriyle|telefon ışığıyla] yürüyoruz, [direk var ama ışık vermiyor|direkler sönük]"]},
    "elektrik_kesintisi": {"sikayet": [
        "{yer} [buzdolabı|televizyon] [çalışmıyor|kapandı], [sabahtan beri|saatlerdir] [evde akım yok|prizlerde enerji yok]"]},
    "dogalgaz": {"sikayet": [
        "{yer} [merdiven boşluğunda|sokakta] [çürük yumurta gibi|ağır bir] koku var, [korkudan çakmak yakamıyoruz|başımız dönüyor]"]},
    "toplu_tasima": {"sikayet": [
        "{yer} [şehre giden|merkeze giden] [araç|otobüs] [gelmedi|dolu geçti], [bir saattir bekliyoruz|işe geç kaldım]"]},
    "trafik_sinyalizasyon": {"sikayet": [
        "{yer} [kavşaktaki|dörtyoldaki] [kırmızı-yeşil|renkli] [lambalar|ışıklar] [sönük|hep sarı yanıp sönüyor], [kim önce geçecek belli değil|kaza olacak]"]},
}
