"""Hand-written message fragments, part C: kültür, mali, ruhsat, özel kalem, bilgi işlem, dış kurumlar."""

F = {}

F["kultur_etkinlik"] = {
    "sikayet": [
        "[konser|tiyatro] [iptal edildi ama duyurulmadı|bir saat geç başladı], [boşuna gittik|çocuklar üzüldü]",
        "[etkinlik biletleri|davetiyeler] [tanıdıklara dağıtılmış|bitti denildi ama salon boştu]",
        "[kültür merkezinin|salonun] [sesi çok kötüydü|kliması çalışmıyordu], [bir şey duyamadık|bayılacaktık]",
    ],
    "talep": [
        "{yer} [çocuklar için|gençler için] [tiyatro|sinema günü|konser] düzenlenmesini istiyoruz",
        "[okulumuzun|derneğimizin] etkinliği için [salon tahsisi|kültür merkezi] talep ediyoruz",
        "[ramazan etkinliklerinin|yaz konserlerinin] [mahallemizde de|bizim parkta] yapılmasını rica ederiz",
    ],
    "oneri": [
        "[açık hava sineması|yaz akşamı konserleri] [köylerde de|kırsal mahallelerde de] yapılsa çok güzel olur",
        "etkinlik takvimi [aylık olarak|SMS ile] paylaşılsa daha çok kişi katılır",
    ],
    "bilgi": [
        "[bu hafta sonu|bayramda] [hangi etkinlikler var|konser var mı]",
        "[tiyatro|konser|festival] biletleri [nereden alınıyor|ücretli mi]",
        "[kültür merkezinde|Talas'ta] [bu ay|yakında] ne etkinlik var",
    ],
    "tesekkur": [
        "[dünkü konser|çocuk tiyatrosu|festival] [muhteşemdi|harikaydı], emeği geçen herkese teşekkürler",
    ],
}

F["kurs_kutuphane"] = {
    "sikayet": [
        "[kütüphane|gençlik merkezi] [erken kapanıyor|hafta sonu kapalı], [sınava çalışamıyoruz|yer bulamıyoruz]",
        "kütüphanede [internet çalışmıyor|priz yok|ısıtma yetersiz]",
        "[kurs kaydı|kursa kayıt] [ilk gün doldu denildi|tanıdıklara verilmiş]",
        "[kurs hocası|eğitmen] [derslere gelmiyor|sürekli değişiyor]",
    ],
    "talep": [
        "{yer} [kütüphane|etüt merkezi|okuma salonu] açılmasını istiyoruz",
        "[dikiş|resim|ebru|bilgisayar|satranç] kursu [açılmasını|düzenlenmesini] rica ediyoruz",
        "[kütüphanenin|gençlik merkezinin] [gece 12ye kadar|hafta sonu da] açık olmasını talep ediyoruz",
    ],
    "oneri": [
        "kütüphane [sınav döneminde 24 saat|hafta sonları] açık olsa öğrencilere çok faydalı olur",
        "[kadınlar için|emekliler için] akşam kursları açılsa katılım artar",
    ],
    "bilgi": [
        "[yüzme|gitar|dikiş|kodlama] kursuna [nasıl kayıt olunur|kayıtlar ne zaman]",
        "kütüphane [saat kaçta açılıyor|hafta sonu açık mı]",
        "[kurslar|etütler] [ücretli mi|yaş sınırı var mı]",
    ],
    "tesekkur": [
        "[gençlik merkezi|kütüphane] sayesinde [sınavı kazandım|çok verimli çalıştım], teşekkürler",
        "[kurs hocamız|eğitmenimiz] çok ilgili, belediyemize teşekkür ederiz",
    ],
}

F["nikah"] = {
    "sikayet": [
        "nikah [randevumuz|saatimiz] [haber verilmeden değiştirildi|iptal edilmiş], [davetiyeler basıldı|mağdur olduk]",
        "nikah salonu [çok sıcaktı|dağınıktı], [memur geç geldi|tören 40 dakika gecikti]",
    ],
    "talep": [
        "[haziran|eylül] ayı için nikah [tarihi almak|randevusu almak] istiyoruz",
        "nikahımızın [bahçede|dış mekanda] kıyılmasını rica ediyoruz",
    ],
    "oneri": [
        "nikah randevusu [internetten|e-belediyeden] alınabilse çiftler kuyrukta beklemez",
    ],
    "bilgi": [
        "nikah başvurusu için [hangi evraklar gerekiyor|ne lazım]",
        "nikah [ücreti ne kadar|hafta sonu kıyılıyor mu]",
        "[evlilik cüzdanı|nikah] için [sağlık raporu|fotoğraf] gerekli mi",
        "[yabancı uyruklu|yabancı] eşle evlenmek için [nikah işlemleri|belgeler] nelerdir",
    ],
    "tesekkur": [
        "nikahımızı kıyan başkanımıza ve nikah memurlarına [çok teşekkürler|teşekkür ederiz], her şey harikaydı",
    ],
}

F["vergi_harc"] = {
    "sikayet": [
        "emlak vergisi [iki kez tahsil edildi|yanlış hesaplanmış], [iadesi yapılmadı|kimse düzeltmiyor]",
        "[çevre temizlik vergisi|ilan reklam vergisi] [fahiş|hatalı] geldi",
        "online ödemede [kartımdan çekildi ama borç görünüyor|tahsilat iki kez yapıldı]",
        "[veznede|tahsilatta] [kuyruk çok uzun|tek gişe açık], [saatlerce bekledik|işimizden olduk]",
    ],
    "talep": [
        "emlak vergisi borcumun [taksitlendirilmesini|yapılandırılmasını] istiyorum",
        "ş:[fazla ödenen|yanlış alınan] vergimin [iadesini|mahsup edilmesini] talep ediyorum",
        "[emlak beyannamesi|ölüm nedeniyle kayıt] [vermek|güncellemek] istiyorum",
    ],
    "oneri": [
        "vergi [hatırlatmaları|son ödeme tarihleri] SMS ile gönderilse gecikme cezası ödemeyiz",
    ],
    "bilgi": [
        "emlak vergisi [son ödeme tarihi|ikinci taksit] ne zaman",
        "[emlak vergimi|su faturası değil belediye borcumu] [nereden|nasıl] ödeyebilirim",
        "[emlak vergisi|çevre temizlik vergisi] borcum ne kadar",
        "[emekli|engelli|şehit yakını] olarak emlak vergisinden muaf mıyım",
        "[rayiç bedel|arsa m2 birim değeri] [ne kadar|nereden öğrenilir]",
    ],
    "tesekkur": [
        "vergi borcu [yapılandırmasında|taksitlendirmede] yardımcı olan memur hanıma teşekkürler",
    ],
}

F["isyeri_ruhsati"] = {
    "sikayet": [
        "işyeri ruhsatı başvurum [iki aydır|haftalardır] [sonuçlanmadı|bekliyor], [dükkanı açamıyorum|kira ödüyorum]",
        "ruhsat için [her seferinde başka evrak|sürekli yeni belge] istiyorlar",
        "[yanımızdaki|karşıdaki] [ruhsatsız işyeri|ruhsatsız atölye] [çalışıyor|açıldı], [denetlenmiyor|kimse bakmıyor]",
    ],
    "talep": [
        "{yer} [kafe|berber|market|kuaför] açmak için [işyeri açma ruhsatı|ruhsat] almak istiyorum",
        "[ruhsatımın|işyeri ruhsatımın] [devri|isim değişikliği] için başvuru yapmak istiyorum",
        "[umuma açık işyeri|sıhhi müessese] ruhsatı için [denetim|keşif] yapılmasını talep ediyorum",
    ],
    "oneri": [
        "işyeri ruhsatı [tek seferde|e-devletten] alınabilse esnafın işi kolaylaşır",
    ],
    "bilgi": [
        "[berber|kafe|fırın|oto yıkama] açmak için [ruhsat şartları|hangi belgeler] nelerdir",
        "işyeri ruhsatı [ne kadar sürede çıkıyor|harcı ne kadar]",
        "[ev ofis|evden çalışmak] için ruhsat [gerekir mi|lazım mı]",
    ],
    "tesekkur": [
        "ruhsatım [üç günde|çok hızlı] çıktı, ruhsat birimine teşekkür ederim",
    ],
}

F["baskan_gorusme"] = {
    "sikayet": [
        "başkanla görüşmek için [üç kez|aylardır] randevu istedim, [geri dönen olmadı|hep bahane]",
        "[Şeffaf Odada|halk gününde] [sıra gelmedi|başkan gelmedi], boşuna bekledik",
    ],
    "talep": [
        "[başkanımızla|Mustafa Yalçın beyle] [görüşmek|yüz yüze konuşmak] istiyorum",
        "[muhtar olarak|dernek adına] başkanımızdan randevu talep ediyorum",
        "başkanımızın [mahallemizi ziyaret etmesini|köyümüze gelmesini] rica ediyoruz",
        "[halk günü|Şeffaf Oda] için randevu almak istiyorum",
    ],
    "oneri": [
        "başkan [her ay bir mahallede|köylerde de] halk günü yapsa sorunlar yerinde dinlenir",
    ],
    "bilgi": [
        "[halk günü|Şeffaf Oda görüşmesi] [ne zaman|hangi gün] yapılıyor",
        "başkanla görüşmek için [nasıl randevu alabilirim|nereye başvurmalıyım]",
    ],
    "tesekkur": [
        "başkanımız [bizi dinledi|sorunumuzla bizzat ilgilendi], çok teşekkür ederiz",
        "[köyümüze gelip|mahallemizi ziyaret edip] bizimle sohbet eden başkanımıza teşekkürler",
    ],
}

F["genel_basvuru"] = {
    "sikayet": [
        "[çağrı merkezini|153ü] [aradım kimse açmadı|saatlerce bekledim], [sorunum çözülmedi|geri dönülmedi]",
        "[belediye personeli|memur] [çok kaba davrandı|yüzüme bağırdı], [şikayetçiyim|saygısızdı]",
        "[başvurularıma|dilekçelerime] [hiç cevap verilmiyor|aylardır dönüş yok]",
    ],
    "talep": [
        "[öğrenci belgesi|ikamet] için [yazı|resmi yazı] talep ediyorum",
        "[stajyer|gönüllü] olarak [belediyede çalışmak|staj yapmak] istiyorum",
        "[belediyede iş|iş başvurusu] için [başvuru yapmak|CV bırakmak] istiyorum",
    ],
    "oneri": [
        "belediye [WhatsApp hattından|tek numaradan] her işi çözse vatandaş çok memnun olur",
        "[hizmet binasına|Beyaz Masaya] [sıra matik|bekleme salonu] konsa daha düzenli olur",
    ],
    "bilgi": [
        "[belediye|Beyaz Masa] [kaçta açılıyor|cumartesi açık mı]",
        "başvurumun [durumunu|sonucunu] nasıl [takip edebilirim|öğrenebilirim]",
        "[belediyenin|Beyaz Masanın] adresi ve telefonu nedir",
        "[iş ilanları|personel alımı] [ne zaman|nerede] duyuruluyor",
    ],
    "tesekkur": [
        "[Beyaz Masa|çağrı merkezi] [çok ilgiliydi|hemen yardımcı oldu], teşekkürler",
        "{yer} [yaptığınız her şey için|hizmetleriniz için] [teşekkürler|Allah razı olsun], belediyemiz çok çalışıyor",
        "Talas [gün geçtikçe güzelleşiyor|çok değişti], başkanımıza ve ekibine teşekkürler",
    ],
}

F["e_belediye"] = {
    "sikayet": [
        "e-belediyede [şifre sıfırlama|giriş] [çalışmıyor|hata veriyor], [SMS gelmiyor|kod düşmüyor]",
        "[mobil uygulama|belediye uygulaması] [açılır açılmaz kapanıyor|sürekli çöküyor]",
        "[online ödeme|kredi kartı ile ödeme] sayfası [hata veriyor|yüklenmiyor]",
        "belediyenin [web sitesi|internet sitesi] [açılmıyor|çok yavaş]",
        "uygulamadan [gönderdiğim başvuru|yüklediğim fotoğraf] [görünmüyor|kayboldu]",
    ],
    "talep": [
        "e-belediye [şifre|hesap] [almak|oluşturmak] istiyorum",
        "[uygulamaya|web sitesine] [İngilizce|Arapça] dil seçeneği eklensin",
        "[hesabımın|e-belediye üyeliğimin] [silinmesini|kapatılmasını] talep ediyorum",
    ],
    "oneri": [
        "uygulamaya [bildirim|karanlık mod] özelliği eklense daha kullanışlı olur",
        "e-belediye [e-devlet ile giriş|tek şifre] ile çalışsa kimse şifre unutmaz",
    ],
    "bilgi": [
        "e-belediye şifresi [nasıl alınır|nereden alınıyor]",
        "[belediye uygulaması|mobil uygulama] [hangi mağazada|iPhone için var mı]",
    ],
    "tesekkur": [
        "yeni [mobil uygulama|web sitesi] çok [kullanışlı|güzel] olmuş, [tebrikler|teşekkürler]",
    ],
}

F["kablosuz_internet"] = {
    "sikayet": [
        "{yer} [parktaki|meydandaki] ücretsiz wifi [çalışmıyor|bağlanmıyor]",
        "[belediye wifi|ücretsiz internet] [çok yavaş|sürekli kopuyor]",
        "wifi [doğrulama SMSi gelmiyor|giriş sayfası açılmıyor]",
    ],
    "talep": [
        "{yer} [parka|meydana|durağa] ücretsiz internet [konulsun|istiyoruz]",
        "[köy kahvesine|muhtarlığa] [kablosuz internet|wifi] [getirilmesini|kurulmasını] rica ederiz",
    ],
    "oneri": [
        "[otobüs duraklarına|bütün parklara] ücretsiz wifi konsa öğrencilere çok faydası olur",
    ],
    "bilgi": [
        "ücretsiz wifi [hangi noktalarda|nerelerde] var",
        "belediye wifisi [günde kaç saat|ne kadar süre] kullanılabiliyor",
    ],
    "tesekkur": [
        "[parktaki|meydandaki] ücretsiz internet [çok işime yarıyor|harika], teşekkürler",
    ],
}

F["su_sebekesi"] = {
    "sikayet": [
        "{yer} [sular|su] [sabahtan beri|iki gündür|dünden beri] [kesik|akmıyor], [duyuru da yapılmadı|bebek var]",
        "[ana boru|su borusu] [patlamış|patladı], [sokak göle döndü|su fışkırıyor]",
        "musluktan [bulanık|çamurlu|kireçli|klor kokan] su akıyor",
        "su [basıncı çok düşük|tazyiki yok], [üst katlara çıkmıyor|çamaşır makinesi çalışmıyor]",
        "[su sayacı|saatimiz] [donmuş|patlamış], [fatura çok yüksek geldi|su kaçırıyor]",
    ],
    "talep": [
        "{yer} [şebeke suyu|içme suyu] [bağlanmasını|getirilmesini] istiyoruz",
        "[su sayacımın|su saatimin] [değiştirilmesini|kontrol edilmesini] talep ediyorum",
    ],
    "oneri": [
        "su kesintileri [önceden SMS ile|bir gün önceden] bildirilse herkes su depolar",
    ],
    "bilgi": [
        "ş:{yer} [sular ne zaman gelecek|su kesintisi ne kadar sürecek]",
        "su [aboneliği|faturası] için [nereye başvurulur|KASKİye mi gitmeliyim]",
    ],
    "tesekkur": [
        "patlayan boruyu [gece yarısı|hemen] tamir eden ekibe teşekkürler",
    ],
}

F["kanalizasyon"] = {
    "sikayet": [
        "{yer} kanalizasyon [taştı|tıkandı], [bodruma pis su doldu|sokak lağım kokuyor]",
        "[yağmur yağınca|sağanakta] [sokak|alt geçit] [göle dönüyor|sel basıyor], [mazgallar tıkalı|su çekmiyor]",
        "[rögar|lağım] kapağından [pis su|atık su] [fışkırıyor|taşıyor]",
        "[logar|kanal] [kokusu|böcekleri] eve kadar geliyor",
        "[köyümüzde|mahallemizde] kanalizasyon [yok|bağlanmamış], [fosseptik taşıyor|çukurlar doldu]",
    ],
    "talep": [
        "{yer} [kanalizasyon hattı|yağmur suyu kanalı] [yapılmasını|döşenmesini] istiyoruz",
        "ş:[tıkalı mazgalın|rögarın] [açılmasını|temizlenmesini] rica ediyoruz",
        "[fosseptiğimizin|foseptik çukurunun] [çekilmesi|boşaltılması] için vidanjör istiyoruz",
    ],
    "oneri": [
        "mazgallar [sonbaharda|yağmur mevsiminden önce] temizlense su baskını olmaz",
    ],
    "bilgi": [
        "[vidanjör|kanal temizliği] için [kimi aramalıyım|ücret alınıyor mu]",
        "kanalizasyon bağlantısı için [nereye başvurulur|ne kadar tutar]",
    ],
    "tesekkur": [
        "tıkanan kanalizasyonu [hemen|aynı gün] açan ekibe teşekkür ederiz",
    ],
}

F["sokak_aydinlatma"] = {
    "sikayet": [
        "{yer} sokak [lambaları|lambası] [yanmıyor|arızalı], [her yer zifiri karanlık|akşam korkarak yürüyoruz]",
        "[direkteki lamba|sokak lambası] [gündüz yanıyor|yanıp sönüyor|sürekli gidip geliyor]",
        "[parkın yanındaki|köşedeki] [aydınlatma direği|lamba direği] [eğilmiş|devrilmek üzere]",
        "[yeni yapılan sokağımızda|bizim sokakta] [hiç aydınlatma yok|direk var lamba yok]",
    ],
    "talep": [
        "{yer} [sokak lambası|aydınlatma direği] [konulmasını|dikilmesini] istiyoruz",
        "ş:[yanmayan lambanın|sokak lambasının] [değiştirilmesini|onarılmasını] rica ederiz",
    ],
    "oneri": [
        "sokak lambaları [LED|güneş enerjili] olsa hem ucuz hem parlak olur",
    ],
    "bilgi": [
        "sokak lambası arızasını [nereye bildirmeliyim|Kcetaşa mı bildirmeliyim]",
    ],
    "tesekkur": [
        "yanmayan lambaları [hemen|bir günde] değiştirdiniz, teşekkürler",
    ],
}

F["elektrik_kesintisi"] = {
    "sikayet": [
        "{yer} [elektrikler|cereyan] [sabahtan beri|saatlerdir|üç saattir] [kesik|yok], [buzdolabındaki her şey bozuldu|haber verilmedi]",
        "[elektrik|voltaj] [sürekli gidip geliyor|dalgalanıyor], [kombim yandı|televizyon bozuldu]",
        "[trafo|elektrik panosu] [patladı|kıvılcım saçıyor|kapağı açık]",
        "[elektrik teli|kablo] [yere sarkmış|kopmuş], [çocuklar geçiyor|tehlikeli]",
    ],
    "talep": [
        "{yer} [elektrik direği|trafo] [yerinin değiştirilmesini|taşınmasını] istiyoruz",
        "ş:[sarkan kabloların|eski tellerin] [yenilenmesini|toplanmasını] rica ederiz",
    ],
    "oneri": [
        "planlı kesintiler [bir gün önceden|SMS ile] duyurulsa hazırlıklı oluruz",
    ],
    "bilgi": [
        "ş:{yer} elektrik [ne zaman gelecek|kesintisi ne kadar sürecek]",
        "planlı elektrik kesintilerini [nereden öğrenebilirim|kim duyuruyor]",
    ],
    "tesekkur": [
        "elektrik arızasını [fırtınada|gece] gidermeye gelen ekibe teşekkürler",
    ],
}

F["dogalgaz"] = {
    "sikayet": [
        "{yer} [doğalgaz kokusu|gaz kokusu] var, [sokakta|merdiven boşluğunda] [yoğun|çok ağır] kokuyor",
        "[doğalgaz|gaz] [kesildi|gelmiyor], [kombi çalışmıyor|evde çocuklar üşüyor]",
        "[doğalgaz kazısı|gaz borusu kazısı] [kapatılmadı|çukur açık bırakıldı]",
        "[doğalgaz faturası|gaz faturası] [çok yüksek|iki katı] geldi, [sayaç yanlış|okuma hatalı]",
    ],
    "talep": [
        "{yer} [doğalgaz|gaz] [hattı çekilmesini|gelmesini] istiyoruz",
        "[doğalgaz aboneliği|gaz açma] için [randevu|ekip] talep ediyorum",
    ],
    "oneri": [
        "köylere de doğalgaz getirilse [kömür dumanı|hava kirliliği] biter",
    ],
    "bilgi": [
        "{yer} doğalgaz [ne zaman gelecek|altyapısı var mı]",
        "doğalgaz [aboneliği|bağlantısı] için [nereye başvurulur|ne gerekli]",
    ],
    "tesekkur": [
        "gaz kaçağı ihbarımıza [on dakikada|hemen] gelen ekibe teşekkürler",
    ],
}

F["toplu_tasima"] = {
    "sikayet": [
        "{yer} [otobüsler|dolmuşlar] [çok seyrek|saatinde gelmiyor], [yarım saat bekledik|işe geç kalıyoruz]",
        "[şoför|otobüs şoförü] [durakta durmadı|çok kaba davrandı|telefonla konuşarak kullanıyor]",
        "[otobüs|belediye otobüsü] [tıklım tıklım|çok kalabalık], [nefes alamıyoruz|binemedik]",
        "[durağın|otobüs durağının] [camı kırık|oturağı yok|üstü kapalı değil], [yağmurda ıslanıyoruz|kışın donuyoruz]",
        "[kartımdan iki kez para çekildi|kart okuyucu çalışmıyor], [şoför inmemi istedi|mağdur oldum]",
    ],
    "talep": [
        "{yer} [otobüs seferlerinin artırılmasını|yeni bir hat açılmasını] istiyoruz",
        "[köyümüze|mahallemize] [otobüs|minibüs] [seferi konulsun|hattı verilsin]",
        "[okul saatinde|sabah 7de] ek sefer [yapılsın|konulmasını rica ederiz]",
        "[durağa|bekleme yerine] [kapalı durak|oturak] yapılmasını talep ediyoruz",
    ],
    "oneri": [
        "[gece 12den sonra|hafta sonları] de sefer olsa öğrenciler çok rahatlar",
        "[duraklara|otobüslere] [elektronik tabela|kalan süre göstergesi] konsa bekleme kolaylaşır",
    ],
    "bilgi": [
        "{yer} [otobüs|ilk sefer|son sefer] [saat kaçta|ne zaman]",
        "[öğrenci kartı|65 yaş kartı] [nereden çıkarılıyor|nasıl alınır]",
        "[Talas|üniversite] [hangi hat|hangi otobüs] [merkeze gidiyor|tramvaya bağlanıyor]",
    ],
    "tesekkur": [
        "[yaşlı anneme yardım eden|kibar] otobüs şoförüne çok teşekkürler",
    ],
}

F["trafik_sinyalizasyon"] = {
    "sikayet": [
        "{yer} [kavşaktaki|okul önündeki] trafik [ışığı|lambası] [yanmıyor|arızalı], [kaza olacak|araçlar birbirine giriyor]",
        "[yaya ışığı|trafik ışığı] [çok kısa|5 saniye] yanıyor, [yaşlılar karşıya geçemiyor|yolun ortasında kalıyoruz]",
        "[sinyalizasyon|ışıklar] [sürekli sarı yanıp sönüyor|saatlerdir kırmızıda kaldı]",
    ],
    "talep": [
        "{yer} [kavşağa|okul önüne] trafik ışığı [konulmasını|yapılmasını] istiyoruz",
        "[yaya butonu|sesli uyarı] [eklensin|konulmasını rica ediyoruz]",
    ],
    "oneri": [
        "[ışıklar|sinyalizasyon] [akıllı|trafiğe göre] çalışsa [kuyruk|bekleme] azalır",
    ],
    "bilgi": [
        "trafik ışığı [arızasını|talebini] kime [bildirmeliyim|iletmeliyim]",
    ],
    "tesekkur": [
        "kavşağa konan trafik ışığı için teşekkürler, artık [kaza olmuyor|güvenle geçiyoruz]",
    ],
}
